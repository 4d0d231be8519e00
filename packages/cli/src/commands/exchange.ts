import { callCommand } from '../call.js';
import { type Command, callOptions, clientAssertionFor, tokenFor } from '../command.js';

/** Talking to the exchange: an access token, and any call with it (the buyer's own commands: buyer.ts). */
export const exchangeCommands: Record<string, Command> = {
  token: {
    summary: 'Get an access token from the exchange (OAuth client credentials) and print it.',
    usage: 'pdx token --key <file> --iss <party id> [--url <exchange>] [--assertion [--aud <issuer>]]',
    positionals: { min: 0, max: 0 },
    options: {
      ...callOptions,
      assertion: {
        type: 'boolean',
        help: 'print a client assertion (valid 1 minute, used once) for POST /oauth/token instead',
      },
    },
    notes: [
      'The access token is good for every call until it expires (expires_in, 10 minutes by default):',
      '  curl -H "Authorization: Bearer $(pdx token --key acme.key.json --iss acme)" …',
      'With --assertion, it prints the signed client assertion (RFC 7523) to exchange yourself:',
      '  curl -d grant_type=client_credentials \\',
      '       -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \\',
      '       -d client_assertion=$(pdx token --assertion --key acme.key.json --iss acme) $PDX_URL/oauth/token',
    ],
    async run(v, io) {
      io.out(`${v.assertion ? await clientAssertionFor(io, v) : await tokenFor(io, v)}\n`);
    },
  },
  call: callCommand,
};
