/**
 * The API key of the signed-in person: in this tab's session storage only (gone when the tab
 * closes), never logged, forgotten on sign-out.
 */
const KEY = 'lx.apiKey';
const listeners = new Set<() => void>();

export const session = {
  key(): string | null {
    return sessionStorage.getItem(KEY);
  },
  signIn(apiKey: string): void {
    sessionStorage.setItem(KEY, apiKey);
    listeners.forEach((listener) => listener());
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
    listeners.forEach((listener) => listener());
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
