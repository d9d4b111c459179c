"""Who uses Recourse: the user with their role (seller or support staff), organisation,
language and time zone; sign-up, sign-in, profile and API tokens."""
