package org.camelazureml.retrain.emulator;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The training web service's BES calls: submit, start, status, cancel. */
final class TrainingApi {

    private final TrainingServiceSpec service;
    private final TrainingJobs jobs;
    private final JobRequestParser parser;
    private final boolean integerStatusCodes;

    TrainingApi(TrainingServiceSpec service, TrainingJobs jobs, boolean integerStatusCodes) {
        this.service = service;
        this.jobs = jobs;
        this.parser = new JobRequestParser(service);
        this.integerStatusCodes = integerStatusCodes;
    }

    ApiResponse submit(ApiRequest request) {
        checkCall(request);
        JobRequest job = parser.parse(request.jsonBody());
        return ApiResponse.jsonString(200, jobs.submit(job));
    }

    ApiResponse start(ApiRequest request) {
        checkCall(request);
        jobs.start(request.param("job"));
        return ApiResponse.empty(200);
    }

    ApiResponse status(ApiRequest request) {
        checkCall(request);
        TrainingJob job = jobs.find(request.param("job"));
        return ApiResponse.json(200, statusBody(job));
    }

    ApiResponse cancel(ApiRequest request) {
        checkCall(request);
        jobs.cancel(request.param("job"));
        return ApiResponse.empty(200);
    }

    private void checkCall(ApiRequest request) {
        if (!service.name().equals(request.param("service"))) {
            throw ApiError.notFound("Web service '" + request.param("service") + "' was not found; the training web "
                    + "service is '" + service.name() + "'.");
        }
        request.requireBearer(List.of(service.apiKey()));
        request.requireApiVersion();
    }

    private ObjectNode statusBody(TrainingJob job) {
        ObjectNode body = Json.object();
        JobStatus status = job.status();
        if (integerStatusCodes) {
            body.put("StatusCode", status.code());
        } else {
            body.put("StatusCode", status.wireName());
        }
        Map<String, ResultLocation> results = job.results();
        if (results == null) {
            body.putNull("Results");
        } else {
            ObjectNode resultsNode = body.putObject("Results");
            results.forEach((port, location) -> resultsNode.putObject(port)
                    .putNull("ConnectionString")
                    .put("RelativeLocation", location.relativeLocation())
                    .put("BaseLocation", location.baseLocation())
                    .put("SasBlobToken", location.sasBlobToken()));
        }
        body.put("Details", job.details());
        return body;
    }
}
