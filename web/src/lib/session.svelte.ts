/** The signed-in user (GET /api/session), shared by every page. */
import type { SessionAnswer } from '$contract';

export const session = $state<{ user: SessionAnswer | null; checked: boolean }>({ user: null, checked: false });
