// The signed-in key: kept in sessionStorage only (gone with the tab), never in localStorage, a URL or a log.
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

const KEY = "secrets-edge-console-session";

export function currentSession(): Session | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Session | null;
    return stored?.accessKeyId && stored.secretAccessKey && stored.region ? stored : undefined;
  } catch {
    return undefined;
  }
}

export const signIn = (session: Session): void => sessionStorage.setItem(KEY, JSON.stringify(session));

export const signOut = (): void => sessionStorage.removeItem(KEY);
