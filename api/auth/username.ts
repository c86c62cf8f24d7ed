/**
 * What a user name may be: ASCII letters, digits, '_', '.' and '-', 2 to 60 of them, so that a database collation that
 * ignores accents or case cannot make two spellings (ádmin, ADMIN) reach one account under two names.
 */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{2,60}$/;

/** The form every counter and comparison uses: a name differing only in case is the same account. */
export function usernameKey(name: string): string {
  return name.trim().toLowerCase();
}
