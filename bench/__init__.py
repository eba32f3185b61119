"""Benchmarks of pulumi-macie-invitations against the local emulator (`make bench`)."""
