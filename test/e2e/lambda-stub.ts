// A stub of the Lambda Invoke API on loopback, for rotation-target tests run in workerd. The first path segment picks
// the behaviour: /ok answers 200, /fail a function error (X-Amz-Function-Error), /status a 502, /slow answers after 3 s;
// every invocation is recorded with its headers and readable at GET /invocations.
import { createServer, type Server } from "node:http";

export interface LambdaStub {
  url: string;
  stop(): Promise<void>;
}

interface Invocation {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function startLambdaStub(): Promise<LambdaStub> {
  const invocations: Invocation[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      if (req.method === "GET" && path === "/invocations") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(invocations));
        return;
      }
      invocations.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const behaviour = path.split("/")[1];
      if (behaviour === "fail") {
        const error = { errorMessage: "step failed on purpose", errorType: "ValueError", stackTrace: [] };
        res.writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" }).end(JSON.stringify(error));
      } else if (behaviour === "status") {
        res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway");
      } else if (behaviour === "slow") {
        const timer = setTimeout(() => res.writeHead(200).end("null"), 3_000);
        res.on("close", () => clearTimeout(timer));
      } else {
        res.writeHead(200, { "content-type": "application/json" }).end("null");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
