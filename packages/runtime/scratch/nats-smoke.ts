import { connect } from '@nats-io/transport-node';
import { startNatsServer } from '../../testing/src/nats-server.ts';

const s = await startNatsServer();
const nc = await connect({ servers: s.url });
console.log('connected', s.url, nc.info?.version, nc.info?.jetstream);
await nc.close();
await s.close();
