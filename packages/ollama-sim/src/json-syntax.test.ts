import { describe, expect, it } from 'vitest';
import { JsonEmptyError, parseFirstJsonValue } from './json-syntax.js';

describe('parseFirstJsonValue', () => {
  it('parses the first value and ignores what follows, like json.Decoder', () => {
    expect(parseFirstJsonValue(' {"a":[1,2.5e3,true,null,"x\\u00e9"]} trailing')).toEqual({
      a: [1, 2500, true, null, 'xé'],
    });
  });

  it('treats empty input as EOF', () => {
    expect(() => parseFirstJsonValue('  \n')).toThrow(JsonEmptyError);
  });

  it.each([
    ['hello', "invalid character 'h' looking for beginning of value"],
    ['{"model"', 'unexpected EOF'],
    ['{"model" "x"}', "invalid character '\"' after object key"],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":nul', 'unexpected EOF'],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
    ['{"a":"\n"}', "invalid character '\\n' in string literal"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ])('reports %j as Go does', (text, message) => {
    expect(() => parseFirstJsonValue(text)).toThrow(message);
  });
});
