/**
 * The Prometheus text exposition format (version 0.0.4), read strictly: every line is a HELP or
 * TYPE comment, a sample `name{label="value",…} value` or empty; anything else throws. Returns each
 * sample's value by its series (`name{label="value",…}` exactly as exposed).
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const label = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
  const value = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?Inf|NaN)';
  const sample = new RegExp(`^(${name}(?:\\{(?:${label}(?:,${label})*)?,?\\})?) (${value})(?: -?\\d+)?$`);
  const help = new RegExp(`^# HELP ${name} .*$`);
  const type = new RegExp(`^# TYPE ${name} (?:counter|gauge|histogram|summary|untyped)$`);
  if (!text.endsWith('\n')) throw new Error('The exposition does not end with a newline');
  const samples = new Map<string, number>();
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const match = sample.exec(line);
      if (match) samples.set(match[1]!, Number(match[2]!.replace('Inf', 'Infinity')));
      else if (line !== '' && !help.test(line) && !type.test(line)) throw new Error(`Line ${index + 1} is not Prometheus text: ${JSON.stringify(line)}`);
    });
  return samples;
}
