"""Hand-written Verilog-2005 blocks of the e3ne engine (docs/hardware.md); package data."""
