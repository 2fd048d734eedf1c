"""The beneficiary's own space, reached through a sign-in link sent by e-mail."""
