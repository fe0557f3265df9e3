/**
 * The one door to the world the preload opens (architecture.md section 2.3); typed from the
 * contract so the window and main cannot drift apart.
 */
import type { CompanionApi } from '../app/ipc/api';

declare global {
  interface Window {
    readonly companion: CompanionApi;
  }
}

export {};
