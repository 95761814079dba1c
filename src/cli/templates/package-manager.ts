/** The package managers `krpc-app new --package-manager` writes a project for. */
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn'] as const;

/** One of {@link PACKAGE_MANAGERS}. */
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** How a package manager spells what the README, the next steps and the Dockerfile say. */
export interface PackageManagerCommands {
  readonly install: string;
  /** `npm run dev`, `pnpm dev`, `yarn dev`. */
  readonly run: (script: string) => string;
  /** Runs a dependency's bin: `npx krpc-app`, `pnpm exec krpc-app`, `yarn krpc-app`. */
  readonly exec: (bin: string) => string;
  readonly lockfile: string;
  /** The Dockerfile's install of every dependency, from the lockfile. */
  readonly ciInstall: string;
  /** The Dockerfile's install of production dependencies only. */
  readonly ciInstallProduction: string;
  /** A Dockerfile line run before installing (corepack provides pnpm and yarn), or ''. */
  readonly setup: string;
}

const COMMANDS: Readonly<Record<PackageManager, PackageManagerCommands>> = {
  npm: {
    install: 'npm install',
    run: (script) => (script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`),
    exec: (bin) => `npx ${bin}`,
    lockfile: 'package-lock.json',
    ciInstall: 'npm ci --no-audit --no-fund',
    ciInstallProduction: 'npm ci --omit=dev --no-audit --no-fund',
    setup: '',
  },
  pnpm: {
    install: 'pnpm install',
    run: (script) => `pnpm ${script}`,
    exec: (bin) => `pnpm exec ${bin}`,
    lockfile: 'pnpm-lock.yaml',
    ciInstall: 'pnpm install --frozen-lockfile',
    ciInstallProduction: 'pnpm install --prod --frozen-lockfile',
    setup: 'RUN corepack enable',
  },
  yarn: {
    install: 'yarn install',
    run: (script) => `yarn ${script}`,
    exec: (bin) => `yarn ${bin}`,
    lockfile: 'yarn.lock',
    ciInstall: 'yarn install --frozen-lockfile',
    ciInstallProduction: 'yarn install --production --frozen-lockfile',
    setup: 'RUN corepack enable',
  },
};

/** The commands of `manager`. */
export function packageManagerCommands(manager: PackageManager): PackageManagerCommands {
  return COMMANDS[manager];
}
