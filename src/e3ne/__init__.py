"""e3ne: compile PyTorch networks into radix-encoded spiking-neural-network hardware for FPGAs."""
