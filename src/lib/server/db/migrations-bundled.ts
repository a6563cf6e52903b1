import { providerFromModules } from './migrate';

/** Vite bundles every migration into the server build, so the app needs no migrations/ folder at run time. */
const modules = import.meta.glob(['/migrations/[0-9][0-9][0-9][0-9]_*.ts', '!/migrations/*.test.ts'], { eager: true });

export const bundledMigrations = providerFromModules(modules);
