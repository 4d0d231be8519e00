import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The metrics of one process, rendered as Prometheus text at /metrics. Each host makes its
 * own (never prom-client's global registry), so several hosts in one test process do not
 * count into each other.
 */
export type MetricsRegistry = Registry;

/** A registry with the default process and Node.js metrics (CPU, memory, event-loop lag, GC). */
export function createMetricsRegistry(): MetricsRegistry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

type Config<L extends string> = { name: string; help: string; labelNames?: readonly L[] };

/**
 * The metric of this name already in the registry: several services of one process (intake
 * and review both have outboxes) share a metric and tell themselves apart by label. Throws
 * TypeError when the name is taken by another kind of metric.
 */
function registered<M>(
  registry: Registry,
  name: string,
  kind: abstract new (...args: never[]) => M,
): M | undefined {
  const found = registry.getSingleMetric(name);
  if (found === undefined) return undefined;
  if (!(found instanceof kind)) throw new TypeError(`metric ${name} is registered as another kind`);
  return found;
}

/** A counter in the registry (the one already there under this name, or a new one). */
export function counter<L extends string>(registry: Registry, config: Config<L>): Counter<L> {
  return (
    (registered(registry, config.name, Counter) as Counter<L> | undefined) ??
    new Counter<L>({ ...config, labelNames: config.labelNames ?? [], registers: [registry] })
  );
}

/** A histogram in the registry (the one already there under this name, or a new one). */
export function histogram<L extends string>(
  registry: Registry,
  config: Config<L> & { buckets?: number[] },
): Histogram<L> {
  return (
    (registered(registry, config.name, Histogram) as Histogram<L> | undefined) ??
    new Histogram<L>({ ...config, labelNames: config.labelNames ?? [], registers: [registry] })
  );
}

/**
 * A gauge whose value is sampled when the registry is scraped: `sample` sets it (it may be
 * async). Every sampler registered under the same name runs on each scrape, so two services
 * can report their own label sets into one gauge. A sampler that fails or takes longer than
 * `timeoutMs` leaves its last values in place: a scrape never waits long nor fails for one
 * dependency.
 */
export function sampledGauge<L extends string>(
  registry: Registry,
  config: Config<L> & { timeoutMs?: number },
  sample: (gauge: Gauge<L>) => void | Promise<void>,
): Gauge<L> {
  const existing = registered(registry, config.name, Gauge) as Gauge<L> | undefined;
  const samplers = existing && gaugeSamplers.get(existing as Gauge<string>);
  if (existing && !samplers) throw new TypeError(`metric ${config.name} is registered but not sampled`);
  if (!existing || !samplers) {
    const list: ((gauge: Gauge<string>) => void | Promise<void>)[] = [];
    const timeoutMs = config.timeoutMs ?? 2_000;
    const gauge = new Gauge<L>({
      name: config.name,
      help: config.help,
      labelNames: config.labelNames ?? [],
      registers: [registry],
      async collect() {
        await Promise.all(
          list.map((s) =>
            within(
              Promise.resolve().then(() => s(this as never)),
              timeoutMs,
            ),
          ),
        );
      },
    });
    gaugeSamplers.set(gauge as Gauge<string>, list);
    list.push(sample as never);
    return gauge;
  }
  samplers.push(sample as never);
  return existing;
}

const gaugeSamplers = new WeakMap<Gauge<string>, ((gauge: Gauge<string>) => void | Promise<void>)[]>();

function within(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.then(
      () => {},
      () => {},
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

export type { Counter, Gauge, Histogram };
