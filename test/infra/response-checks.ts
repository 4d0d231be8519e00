import { enableResponseChecks, takeResponseMismatches } from '@pdx/http/testing';
import { afterEach, expect } from 'vitest';

// Every answer of every server a test creates in this process is checked against the response
// schemas its route documents (and so against the OpenAPI document): a status, a content
// type, a body or a problem code the document does not describe fails the test that got it.
enableResponseChecks();

afterEach(() => {
  expect(takeResponseMismatches(), 'responses that do not match the OpenAPI document').toEqual([]);
});
