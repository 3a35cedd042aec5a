import type { Command } from 'commander';
import { progressBar } from '../../platform/cli/progress.js';
import type { Actor } from '../../platform/audit/event.js';
import { importFhir, type FhirImportDeps } from './import.js';

export interface FhirCli {
  run<T>(fn: (deps: { fhir: FhirImportDeps; actor: Actor }) => Promise<T>): Promise<T>;
}

/** `chartroom import fhir <bundle.json|dir>…`. Exit code 1 when a bundle failed (the others are kept). */
export function registerFhirCommands(program: Command, cli: FhirCli): void {
  const importCmd = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('import reference data');
  importCmd
    .command('fhir <paths...>')
    .description('import Patients and Encounters (and their Practitioners) from FHIR R4 bundles, matched against the MPI')
    .action((paths: string[]) =>
      cli.run(async ({ fhir, actor }) => {
        const bar = progressBar('importing bundles');
        const r = await importFhir(fhir, actor, paths, (done, total) => bar.update(done, total));
        bar.stop();
        console.log(`${r.bundles} of ${r.files} bundles imported`);
        console.log(`patients: ${r.patients.created} created, ${r.patients.identified} found by identifier, ${r.patients.matched} linked by the matcher, ${r.patients.review} put on the duplicate work list`);
        console.log(`encounters: ${r.encounters.created} created, ${r.encounters.updated} updated; practitioners read: ${r.providers}`);
        for (const f of r.failed) console.error(`failed ${f.file}: ${f.code} ${f.message} (nothing of it was kept)`);
        if (r.failed.length > 0) process.exitCode = 1;
      }),
    );
}
