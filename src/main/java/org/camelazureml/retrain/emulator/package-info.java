/**
 * An Azure ML Studio (classic) emulator: the training web service's Batch Execution Service, a
 * scoring web service's UpdateResource/describe/Request-Response calls, and fault injection.
 *
 * <p>Entry points: {@link org.camelazureml.retrain.emulator.AzureMlEmulator} (in-process, for tests
 * and benchmarks), {@link org.camelazureml.retrain.emulator.EmulatorLauncher} (standalone, prints the
 * {@code retrain.*} properties), {@link org.camelazureml.retrain.emulator.FaultPlan} (faults, also as a
 * text spec).
 *
 * <p>Rules this package keeps:
 * <ul>
 *   <li>It imports nothing from the rest of the product (only the Azurite launcher), and reads
 *       requests as JSON trees with exact, case-sensitive field names, so a client bug cannot be
 *       hidden by shared classes.</li>
 *   <li>It listens on 127.0.0.1 only (HTTP, or HTTPS with a given SSLContext), and by default talks
 *       only to storage on the loopback interface (Azurite).</li>
 *   <li>No thread waits for a job or a delayed answer: timing is scheduled, model downloads are
 *       asynchronous.</li>
 *   <li>Keys and SAS signatures never appear in answers' error texts, logs or recorded requests.</li>
 * </ul>
 *
 * <p>Where PROTOCOL.md is silent, the emulator's choices are: every output port must be named in
 * {@code Outputs}; inputs are CSV/TSV with a header and numeric columns, the last being the label;
 * the trained model is a small JSON document after the line {@code EMULATED-ILEARNER v1}, which records the
 * output port it was written for (a service with several trained model outputs writes one per port); an
 * endpoint never updated serves an "original" model that predicts 0; PATCH answers 200 with an
 * empty body and takes effect at once; GET on an endpoint answers
 * {@code {"Name", "Resources": [{"Name", "Location": {...} or null}]}}; whitespace after the model
 * document is padding and ignored; a job the service has forgotten ({@code forgetJobs}) is 404 to
 * every call, like an id it never issued.
 */
package org.camelazureml.retrain.emulator;
