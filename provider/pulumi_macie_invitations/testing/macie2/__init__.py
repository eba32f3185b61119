"""Amazon Macie (``macie2``): moto's backend with the receiving side of invitations."""
