/**
 * Whether this process's typed arrays get transparent huge pages while its WebAssembly memories do not: the
 * case where keeping a large working array in a typed array pays (`StreamedResampleOptions.transformsApart`).
 * That is when glibc 2.35 or later was told, as the process started, to mark its large blocks for huge pages
 * (`glibc.malloc.hugetlb=1` in GLIBC_TUNABLES: set by bin/huge-pages.cjs when it relaunched the CLI, or by the
 * user), and the kernel gives huge pages only to memory so marked (`[madvise]`; with `[always]` WebAssembly
 * memories get them too, with `[never]` nothing does). The launcher's own tests of the setting and the version
 * are the same (a test checks that they agree).
 */
import { readFileSync } from 'node:fs';

/** What the answer depends on; the costly facts are asked only when needed. */
export interface HugePageFacts {
  /** GLIBC_TUNABLES as the process started (before the relaunch's own values were given back to the user). */
  tunables: string | undefined;
  /** Text of /sys/kernel/mm/transparent_hugepage/enabled, or undefined. */
  thpSetting: () => string | undefined;
  /** The C library's glibc version (`2.36`), or undefined when it is not glibc. */
  glibcVersion: () => string | undefined;
}

const THP_SETTING = '/sys/kernel/mm/transparent_hugepage/enabled';

/** The kernel's transparent huge page mode from its setting's text (`always [madvise] never` → `madvise`). */
export function hugePageMode(settingText: string | undefined): string | undefined {
  return /\[(\w+)\]/.exec(settingText ?? '')?.[1];
}

/** Whether a glibc version string (`2.36`) is 2.35 or later, the first with the huge-page tunable. */
export function hasHugePageTunable(glibcVersion: string | undefined): boolean {
  const [major, minor] = String(glibcVersion ?? '').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 35);
}

export function typedArraysAloneGetHugePages(facts: HugePageFacts): boolean {
  if (!/(^|:)glibc\.malloc\.hugetlb=1(:|$)/.test(facts.tunables ?? '')) return false;
  return hugePageMode(facts.thpSetting()) === 'madvise' && hasHugePageTunable(facts.glibcVersion());
}

/** The facts of this process, with GLIBC_TUNABLES as it started (`tunablesAtStart`). */
export function hugePageFactsOfThisProcess(tunablesAtStart: string | undefined): HugePageFacts {
  const orUndefined = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch {
      return undefined;
    }
  };
  return {
    tunables: tunablesAtStart,
    thpSetting: () => orUndefined(() => readFileSync(THP_SETTING, 'utf8')),
    glibcVersion: () => orUndefined(() => (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime),
  };
}
