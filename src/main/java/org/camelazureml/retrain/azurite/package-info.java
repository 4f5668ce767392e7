/**
 * Starts and stops Azurite's blob service (the Azure Storage emulator, pinned in package.json) as
 * a child process on a free loopback port, always with telemetry disabled. Used by tests, the demo
 * and benchmarks; see {@link org.camelazureml.retrain.azurite.AzuriteServer}.
 */
package org.camelazureml.retrain.azurite;
