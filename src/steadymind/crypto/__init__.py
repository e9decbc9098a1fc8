"""Keys and ciphers: envelope encryption of everything a person writes (docs/security.md)."""
