/** What every playground panel gets: the model, where the API is, and the session's key. */
export interface PanelProps {
  model: string;
  gatewayUrl: string;
  getKey: (options?: { fresh?: boolean }) => Promise<string>;
}
