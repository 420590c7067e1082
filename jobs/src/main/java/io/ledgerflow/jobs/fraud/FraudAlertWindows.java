package io.ledgerflow.jobs.fraud;

import io.ledgerflow.avro.FraudAlert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the screen's matches into alerts, one per account, rule and {@link AlertWindow}: the first
 * match of a window is published at once, later ones revise it (same id, more matches) at most once
 * per {@link AlertWindowSettings#revisionInterval}, and a window's last revision is published when
 * the next window opens or when the account has been quiet for the window's gap.
 *
 * <p>Keyed by account, like the screen that feeds it (so the two are chained, with no shuffle).
 * State per account: the open window of each rule that matched, and which of them have revisions
 * not yet published; a window is dropped once quiet for the gap, so the state of an account that
 * stopped matching is empty a gap later.
 */
public class FraudAlertWindows extends KeyedProcessFunction<String, FraudAlert, FraudAlert> {

    private static final long serialVersionUID = 1L;

    private final AlertWindowSettings settings;

    private transient MapState<String, FraudAlert> windows;
    private transient MapState<String, Long> unpublishedSince;

    public FraudAlertWindows(AlertWindowSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        // Flink's Avro serializer in state (not the job's edge serializer): it keeps the writer's
        // schema in the snapshot, so a later FraudAlert schema still reads these windows.
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "fraud-alert-windows",
                                        Types.STRING,
                                        new AvroTypeInfo<>(FraudAlert.class)));
        unpublishedSince =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "fraud-alert-unpublished", Types.STRING, Types.LONG));
    }

    @Override
    public void processElement(FraudAlert match, Context ctx, Collector<FraudAlert> out)
            throws Exception {
        String rule = match.getRuleId();
        long now = ctx.timerService().currentProcessingTime();
        FraudAlert window = windows.get(rule);
        if (window != null && AlertWindow.admits(window, match, settings)) {
            windows.put(rule, AlertWindow.join(window, match, settings));
            if (!unpublishedSince.contains(rule)) {
                unpublishedSince.put(rule, now);
                ctx.timerService()
                        .registerProcessingTimeTimer(
                                slot(now + settings.revisionInterval().toMillis()));
            }
        } else {
            if (window != null && unpublishedSince.contains(rule)) {
                out.collect(window); // the closing window's last revision first
            }
            FraudAlert opened = AlertWindow.open(match);
            windows.put(rule, opened);
            unpublishedSince.remove(rule);
            out.collect(opened);
        }
        ctx.timerService().registerProcessingTimeTimer(slot(now + settings.gap().toMillis()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FraudAlert> out)
            throws Exception {
        List<String> quiet = new ArrayList<>();
        for (Map.Entry<String, FraudAlert> e : windows.entries()) {
            String rule = e.getKey();
            FraudAlert window = e.getValue();
            long lastMatch = window.getLastDetectedTime().toEpochMilli();
            boolean isQuiet = timestamp - lastMatch >= settings.gap().toMillis();
            Long since = unpublishedSince.get(rule);
            if (since != null
                    && (isQuiet || since + settings.revisionInterval().toMillis() <= timestamp)) {
                out.collect(window);
                unpublishedSince.remove(rule);
            }
            if (isQuiet) {
                quiet.add(rule);
            }
        }
        for (String rule : quiet) {
            windows.remove(rule);
        }
    }

    /**
     * Rounds a timer up to the revision interval, so that an account has at most one timer per
     * interval however many matches arrive (Flink keeps one timer per key and timestamp).
     */
    private long slot(long at) {
        long interval = settings.revisionInterval().toMillis();
        return ((at + interval - 1) / interval) * interval;
    }
}
