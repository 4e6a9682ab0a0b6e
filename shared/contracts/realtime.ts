// Names on the live channel (docs/realtime.md), shared by the server and the browser.

/** The Web PubSub group of a show's public seat map: negotiate grants exactly this one. */
export const showGroup = (showId: string) => `show.${showId}`;
