"""Staff sign-in: Flask-Login, hashed passwords, a rate limit kept in the database."""
