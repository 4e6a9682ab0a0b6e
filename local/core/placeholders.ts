// `%Name%` placeholders in binding properties (schedule, topicName, containerName...) are replaced
// with app settings by the real host before a listener starts. An unset setting is an error there
// too. (Used by the timer, service-bus and change-feed plugins.)
export class PlaceholderError extends Error {
  override name = 'PlaceholderError';
}

export function resolvePlaceholders(raw: string, env: NodeJS.ProcessEnv): string {
  return raw.replace(/%([^%]+)%/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '')
      throw new PlaceholderError(`it refers to setting %${name}%, which is not set`);
    return value;
  });
}
