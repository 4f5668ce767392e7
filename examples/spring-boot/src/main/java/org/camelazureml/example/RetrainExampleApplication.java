package org.camelazureml.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot application whose Camel context also runs the retraining pipeline. */
@SpringBootApplication
public class RetrainExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(RetrainExampleApplication.class, args);
    }
}
