-- Revocable sign-ins. A cookie names its session and the user's security stamp at sign-in:
-- logout revokes the one session, a password change or disabling rotates the stamp and so ends all.
ALTER TABLE users
    ADD COLUMN security_stamp  uuid        NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN failed_logins   integer     NOT NULL DEFAULT 0,
    ADD COLUMN locked_until    timestamptz;

CREATE TABLE user_sessions (
    id         uuid        PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);
