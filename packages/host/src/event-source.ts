import { isAbsoluteUri } from '@pdx/contracts';
import { type ConfigReader, RuntimeError } from '@pdx/runtime';

/**
 * The CloudEvents `source` of the events a service emits: `PDX_EVENT_SOURCE` with `{service}`
 * replaced by the service's name, by default `urn:pdx:<PDX_EXCHANGE_ID>:<service>`. It must be
 * an absolute URI (RFC 3986 §4.3; CloudEvents recommends one), so that `source` + `id`
 * identifies an event beyond this exchange, e.g. once several exchanges feed one consumer.
 */
export function eventSource(config: ConfigReader, service: string): string {
  const exchange = config.string('PDX_EXCHANGE_ID', 'pdx');
  const template = config.string('PDX_EVENT_SOURCE', `urn:pdx:${encodeURIComponent(exchange)}:{service}`);
  const source = template.replaceAll('{service}', service);
  if (!isAbsoluteUri(source)) {
    throw new RuntimeError(
      'PDX_CONFIG_INVALID',
      `PDX_EVENT_SOURCE must be an absolute URI (RFC 3986 §4.3, no fragment) once {service} is replaced, got "${source}"`,
    );
  }
  return source;
}
