"""Conversions between e3ne dialects (torch -> snn -> e3ne_hw -> Verilog)."""
