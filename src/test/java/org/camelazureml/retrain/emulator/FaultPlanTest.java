package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The fault plan's text grammar and its firing counts. */
class FaultPlanTest {

    @Test
    void parsesTheDocumentedExample() {
        FaultPlan plan = FaultPlan.parse("submit:503x2,status:429x3@retry-after=1,start:drop,status:slow=2000,"
                + "job:failed=Out of memory,job:stuck=Running,update:400x1,model:missing,model:empty");

        List<Fault> faults = plan.faults();
        assertThat(faults).hasSize(9);
        assertThat(faults.get(0)).satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Fault.Kind.HTTP_STATUS);
            assertThat(f.operation()).isEqualTo(Operation.SUBMIT);
            assertThat(f.httpStatus()).isEqualTo(503);
            assertThat(f.times()).isEqualTo(2);
            assertThat(f.retryAfter()).isNull();
        });
        assertThat(faults.get(1).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(faults.get(1).times()).isEqualTo(3);
        assertThat(faults.get(2).kind()).isEqualTo(Fault.Kind.DROP_CONNECTION);
        assertThat(faults.get(2).times()).isEqualTo(1);
        assertThat(faults.get(3).delay()).isEqualTo(Duration.ofMillis(2000));
        assertThat(faults.get(4).details()).isEqualTo("Out of memory");
        assertThat(faults.get(5).stuckIn()).isEqualTo(JobStatus.RUNNING);
        assertThat(faults.get(6).operation()).isEqualTo(Operation.UPDATE);
        assertThat(faults.get(7).kind()).isEqualTo(Fault.Kind.MODEL_MISSING);
        assertThat(faults.get(8).kind()).isEqualTo(Fault.Kind.MODEL_EMPTY);
    }

    @Test
    void toStringIsTheSpecAndParsesBackToTheSame() {
        String spec = "get-endpoint:504x*,execute:drop,cancel:slow=10x2,job:failed=\"Disk full, no space\"x2,"
                + "job:stuck=NotStarted,model:emptyx*";

        FaultPlan plan = FaultPlan.parse(spec);

        assertThat(plan.faults().get(3).details()).isEqualTo("Disk full, no space");
        assertThat(plan.faults().get(0).times()).isEqualTo(Fault.ALWAYS);
        assertThat(FaultPlan.parse(plan.toString()).toString()).isEqualTo(plan.toString());
    }

    @Test
    void parsesLateLostAndPadded() {
        FaultPlan plan = FaultPlan.parse("submit:late=1500,update:lostx2,start:late=10x*,model:padded=1073741824x3");

        List<Fault> faults = plan.faults();
        assertThat(faults.get(0)).satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Fault.Kind.LATE_ANSWER);
            assertThat(f.operation()).isEqualTo(Operation.SUBMIT);
            assertThat(f.delay()).isEqualTo(Duration.ofMillis(1500));
            assertThat(f.times()).isEqualTo(1);
        });
        assertThat(faults.get(1)).satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Fault.Kind.LOST_ANSWER);
            assertThat(f.operation()).isEqualTo(Operation.UPDATE);
            assertThat(f.times()).isEqualTo(2);
        });
        assertThat(faults.get(2).times()).isEqualTo(Fault.ALWAYS);
        assertThat(faults.get(3)).satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Fault.Kind.MODEL_PADDED);
            assertThat(f.paddingBytes()).isEqualTo(1L << 30);
            assertThat(f.times()).isEqualTo(3);
        });
        assertThat(plan.toString()).isEqualTo("submit:late=1500x1,update:lostx2,start:late=10x*,model:padded=1073741824x3");
        assertThat(FaultPlan.parse(plan.toString()).toString()).isEqualTo(plan.toString());
    }

    @Test
    void theApiMakesTheSameFaultsAsTheText() {
        FaultPlan plan = new FaultPlan();
        plan.answerLate(Operation.START, Duration.ofMillis(250), 2);
        plan.loseAnswer(Operation.SUBMIT, Fault.ALWAYS);
        plan.padModel(4096, 1);

        assertThat(plan.toString()).isEqualTo("start:late=250x2,submit:lostx*,model:padded=4096x1");
        assertThat(plan.takeHttpFault(Operation.SUBMIT)).hasValueSatisfying(f ->
                assertThat(f.kind()).isEqualTo(Fault.Kind.LOST_ANSWER));
        assertThat(plan.takeModelFault()).hasValueSatisfying(f -> assertThat(f.paddingBytes()).isEqualTo(4096));
        assertThat(plan.takeModelFault()).isEmpty();
    }

    @Test
    void endpointScopedRulesParseAndPrintBack() {
        String spec = "update@ep2:503x*,get-endpoint@ep-1:lostx2,execute@ep1:late=100x1,update:500x1@retry-after=2";

        FaultPlan plan = FaultPlan.parse(spec);

        List<Fault> faults = plan.faults();
        assertThat(faults.get(0)).satisfies(f -> {
            assertThat(f.operation()).isEqualTo(Operation.UPDATE);
            assertThat(f.endpoint()).isEqualTo("ep2");
            assertThat(f.httpStatus()).isEqualTo(503);
            assertThat(f.times()).isEqualTo(Fault.ALWAYS);
        });
        assertThat(faults.get(1).endpoint()).isEqualTo("ep-1");
        assertThat(faults.get(1).kind()).isEqualTo(Fault.Kind.LOST_ANSWER);
        assertThat(faults.get(2).endpoint()).isEqualTo("ep1");
        assertThat(faults.get(2).operation()).isEqualTo(Operation.EXECUTE);
        assertThat(faults.get(3).endpoint()).isNull();
        assertThat(plan.toString()).isEqualTo(spec);
        assertThat(FaultPlan.parse(plan.toString()).toString()).isEqualTo(spec);
    }

    @Test
    void theEndpointApiMakesTheSameFaultsAsTheText() {
        FaultPlan plan = new FaultPlan();
        FaultPlan.EndpointFaults ep2 = plan.forEndpoint("ep2");
        ep2.respondWithStatus(Operation.UPDATE, 503, Fault.ALWAYS);
        ep2.respondWithStatus(Operation.UPDATE, 429, 1, Duration.ofSeconds(3));
        ep2.dropConnection(Operation.EXECUTE, 1);
        ep2.loseAnswer(Operation.UPDATE, 2);
        ep2.delay(Operation.GET_ENDPOINT, Duration.ofMillis(5), 1);
        ep2.answerLate(Operation.EXECUTE, Duration.ofMillis(7), 1);

        assertThat(ep2.endpoint()).isEqualTo("ep2");
        assertThat(plan.toString()).isEqualTo("update@ep2:503x*,update@ep2:429x1@retry-after=3,execute@ep2:dropx1,"
                + "update@ep2:lostx2,get-endpoint@ep2:slow=5x1,execute@ep2:late=7x1");
        assertThat(FaultPlan.parse(plan.toString()).toString()).isEqualTo(plan.toString());
    }

    @Test
    void anEndpointScopedFaultMatchesOnlyCallsNamingItsEndpoint() {
        FaultPlan plan = new FaultPlan();
        Fault scoped = plan.forEndpoint("ep2").respondWithStatus(Operation.UPDATE, 503, Fault.ALWAYS);
        Fault unscoped = plan.respondWithStatus(Operation.UPDATE, 500, 1);

        assertThat(plan.takeHttpFault(Operation.UPDATE, "ep2")).containsSame(scoped);
        assertThat(plan.takeHttpFault(Operation.UPDATE, "ep1")).containsSame(unscoped);
        assertThat(plan.takeHttpFault(Operation.UPDATE, "ep1")).isEmpty();
        assertThat(plan.takeHttpFault(Operation.UPDATE)).isEmpty();
        assertThat(plan.takeHttpFault(Operation.EXECUTE, "ep2")).isEmpty();
        assertThat(plan.takeHttpFault(Operation.UPDATE, "ep2")).containsSame(scoped);
        assertThat(scoped.firedCount()).isEqualTo(2);
    }

    @Test
    void onlyEndpointCallsCanBeScopedAndOnlyToANameTheTextCanCarry() {
        FaultPlan plan = new FaultPlan();

        assertThatThrownBy(() -> FaultPlan.parse("submit@ep2:503")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'submit@ep2:503'").hasMessageContaining("update, get-endpoint, execute");
        assertThatThrownBy(() -> FaultPlan.parse("job@ep2:failed=x")).hasMessageContaining("not job and model faults");
        assertThatThrownBy(() -> FaultPlan.parse("model@ep2:missing")).hasMessageContaining("not job and model faults");
        assertThatThrownBy(() -> FaultPlan.parse("update@:503")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> FaultPlan.parse("update@ep@2:503")).hasMessageContaining("'@'");
        assertThatThrownBy(() -> FaultPlan.parse("updat@ep2:503")).hasMessageContaining("Unknown operation 'updat'");
        assertThatThrownBy(() -> plan.forEndpoint("ep 2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan.forEndpoint("ep2").respondWithStatus(Operation.STATUS, 503, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not status");
        assertThat(plan.faults()).isEmpty();
    }

    @Test
    void unquotedFailureTextIsTakenWhole() {
        Fault fault = FaultPlan.parse("job:failed=Matrix x2 singular").faults().get(0);

        assertThat(fault.details()).isEqualTo("Matrix x2 singular");
        assertThat(fault.times()).isEqualTo(1);
    }

    @Test
    void blankSpecsMeanNoFaults() {
        assertThat(FaultPlan.parse(null).faults()).isEmpty();
        assertThat(FaultPlan.parse("  ").faults()).isEmpty();
    }

    @Test
    void malformedRulesAreRejectedWithTheRuleNamed() {
        assertThatThrownBy(() -> FaultPlan.parse("submit:503,stauts:500")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'stauts:500'").hasMessageContaining("submit, start, status");
        assertThatThrownBy(() -> FaultPlan.parse("submit:200")).hasMessageContaining("400..599");
        assertThatThrownBy(() -> FaultPlan.parse("submit:503x0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> FaultPlan.parse("job:stuck=Finished")).hasMessageContaining("stuck=NotStarted|Running");
        assertThatThrownBy(() -> FaultPlan.parse("model:corrupt")).hasMessageContaining("missing");
        assertThatThrownBy(() -> FaultPlan.parse("submit")).hasMessageContaining("TARGET:FAULT");
        assertThatThrownBy(() -> FaultPlan.parse("job:failed=\"open")).hasMessageContaining("quote");
        assertThatThrownBy(() -> FaultPlan.parse("submit:late")).hasMessageContaining("late=MILLIS");
        assertThatThrownBy(() -> FaultPlan.parse("submit:lost=5")).hasMessageContaining("lost[xN]");
        assertThatThrownBy(() -> FaultPlan.parse("model:padded=1k")).hasMessageContaining("padded=BYTES");
        assertThatThrownBy(() -> FaultPlan.parse("job:padded=10")).hasMessageContaining("failed=TEXT");
        assertThatThrownBy(() -> FaultPlan.parse("model:padded=99999999999999999999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> FaultPlan.parse("start:lostx99999999999")).hasMessageContaining("at most");
    }

    @Test
    void aMalformedSpecAddsNothing() {
        FaultPlan plan = new FaultPlan();

        assertThatThrownBy(() -> plan.add("submit:503,bad")).isInstanceOf(IllegalArgumentException.class);

        assertThat(plan.faults()).isEmpty();
    }

    @Test
    void faultsFireInOrderAndCountTheirFirings() {
        FaultPlan plan = new FaultPlan();
        Fault twice = plan.respondWithStatus(Operation.STATUS, 503, 2);
        Fault always = plan.dropConnection(Operation.STATUS, Fault.ALWAYS);

        assertThat(plan.takeHttpFault(Operation.STATUS)).containsSame(twice);
        assertThat(plan.takeHttpFault(Operation.SUBMIT)).isEmpty();
        assertThat(plan.takeHttpFault(Operation.STATUS)).containsSame(twice);
        assertThat(plan.takeHttpFault(Operation.STATUS)).containsSame(always);
        assertThat(plan.takeHttpFault(Operation.STATUS)).containsSame(always);

        assertThat(twice.firedCount()).isEqualTo(2);
        assertThat(twice.isExhausted()).isTrue();
        assertThat(always.firedCount()).isEqualTo(2);
        assertThat(always.isExhausted()).isFalse();
        assertThat(plan.firedCount(Operation.STATUS)).isEqualTo(4);
        assertThat(plan.firedCount(Fault.Kind.DROP_CONNECTION)).isEqualTo(2);
        assertThat(plan.totalFired()).isEqualTo(4);
    }

    @Test
    void jobAndModelFaultsAreSeparateQueues() {
        FaultPlan plan = FaultPlan.parse("model:missing,job:failed=boom,status:500");

        assertThat(plan.takeJobFault()).hasValueSatisfying(f -> assertThat(f.details()).isEqualTo("boom"));
        assertThat(plan.takeJobFault()).isEmpty();
        assertThat(plan.takeModelFault()).hasValueSatisfying(f -> assertThat(f.kind()).isEqualTo(Fault.Kind.MODEL_MISSING));
        assertThat(plan.takeHttpFault(Operation.STATUS)).isPresent();
    }

    @Test
    void firingIsExactUnderContention() throws InterruptedException {
        FaultPlan plan = new FaultPlan();
        Fault fault = plan.respondWithStatus(Operation.EXECUTE, 429, 1000);
        AtomicInteger taken = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(startThread(() -> {
                for (int i = 0; i < 500; i++) {
                    if (plan.takeHttpFault(Operation.EXECUTE).isPresent()) {
                        taken.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(taken.get()).isEqualTo(1000);
        assertThat(fault.firedCount()).isEqualTo(1000);
    }

    private static Thread startThread(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }
}
