"""The e3ne engine as the compiler sees it: its interface (:mod:`.schema`: the layer descriptor
and the core parameters), its memory images (:mod:`.images`) and its exact cycle model
(:mod:`.cycles`). The RTL itself is in ``e3ne.rtl``; the IR that describes one engine is the
``e3ne_hw`` dialect."""
