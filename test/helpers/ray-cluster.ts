// The local Ray cluster of the tests lives in scripts/ (bench/ray and notebook 08 start it too).
export { NO_RAY_MESSAGE, RAY, startRayCluster } from '../../scripts/ray-local-cluster.js';
