-- 007 · Who may use the dashboard and API (SPEC §1): users with a role, and server-side sessions.
-- Written only by the server (server/auth.ts). See docs/server.md.

-- A user. `role` is one of SPEC §1's ids; a manager is bound to one team (`team_id`), which scopes
-- everything they see. `password_hash` is `scrypt$N$r$p$<salt base64>$<key base64>` (Node's
-- crypto.scrypt, 16-byte random salt, 64-byte key): the parameters travel with the hash so they
-- can be raised later without invalidating existing passwords. A disabled user cannot sign in.
CREATE TABLE users (
  username       VARCHAR PRIMARY KEY,
  role           VARCHAR NOT NULL CHECK (role IN ('supervisor', 'hr', 'executive', 'manager', 'admin')),
  team_id        VARCHAR,
  password_hash  VARCHAR NOT NULL,
  created_at     TIMESTAMP NOT NULL,
  disabled       BOOLEAN NOT NULL DEFAULT false,
  CHECK (role <> 'manager' OR team_id IS NOT NULL)
);

-- A signed-in browser. The cookie carries a random 32-byte id (base64url); only its SHA-256 is
-- stored, so a copy of the warehouse file does not hand out live sessions. `csrf_token` must come
-- back in the X-CSRF-Token header of every mutating request. Times are UTC.
CREATE TABLE sessions (
  session_hash  VARCHAR PRIMARY KEY,
  username      VARCHAR NOT NULL,
  created_at    TIMESTAMP NOT NULL,
  expires_at    TIMESTAMP NOT NULL,
  csrf_token    VARCHAR NOT NULL
);
