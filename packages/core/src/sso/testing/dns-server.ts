import dns2 from "dns2";

/**
 * A DNS server on loopback (UDP) answering TXT questions from `records`
 * (name → values), for domain checks: `DNS_SERVERS=127.0.0.1:<port>`.
 * Anything else is answered with no records.
 */
export async function startDnsServer() {
  const records = new Map<string, string[]>();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = dns2.Packet.createResponseFromRequest(request);
      for (const question of request.questions) {
        for (const data of records.get(question.name.toLowerCase()) ?? []) {
          const answer = { name: question.name, type: dns2.Packet.TYPE.TXT, class: dns2.Packet.CLASS.IN, ttl: 1, data };
          response.answers.push(answer as unknown as (typeof response.answers)[number]);
        }
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  return {
    records,
    server: `127.0.0.1:${addresses.udp?.port ?? 0}`,
    close: () => server.close(),
  };
}
