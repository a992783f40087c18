package dev.consentry.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Items read on one thread (the reader, which calls {@link #submit}), worked on by N threads, and handed back to the
 * reader's {@link Sink} in the order they were submitted, however the threads finish. The reader also emits: results
 * reach the sink only inside {@link #submit} and {@link #finish}, on the reader's thread, so the sink needs no locks.
 *
 * <p>Bounded by bytes, not items: an item's weight (its request bytes) counts from its submission until the sink has
 * it, and {@link #submit} waits while the weight in flight would pass the budget (an item heavier than the budget
 * alone still goes, once nothing else is in flight). Memory is then about the budget plus what each thread's work
 * allocates.
 *
 * <p>Fail closed: work that throws a RuntimeException is that item's failure ({@link Sink#failed}) and the rest go
 * on; anything else a thread throws (an Error), an interrupted thread or an interrupted reader stops the pipeline:
 * the items after it never reach the sink, and {@link #submit} or {@link #finish} throws {@link Stopped}, so a caller
 * cannot finish as if everything had been worked on. {@link #close} stops the threads on every path.
 */
final class ScanPipeline<I, R> implements AutoCloseable {
    /** Why the pipeline stopped before every item was worked on. */
    static final class Stopped extends RuntimeException {
        Stopped(String message, Throwable cause) {
            super(message, cause);
        }
    }

    interface Sink<I, R> {
        void result(I item, R result);

        void failed(I item, RuntimeException e);
    }

    /** One submitted item until the sink has it. Guarded by {@link #lock} once handed to the workers. */
    private static final class Slot<I, R> {
        I item;
        final long weight;
        R result;
        RuntimeException failure;
        Throwable fatal;
        boolean done;

        Slot(I item, long weight) {
            this.item = item;
            this.weight = weight;
        }
    }

    private final Function<I, R> work;
    private final ToLongFunction<I> weight;
    private final Sink<I, R> sink;
    private final long budget;
    private final Runnable onFull;
    private final LinkedBlockingQueue<Slot<I, R>> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition completed = lock.newCondition();
    private final List<Thread> threads = new ArrayList<>();
    /** The reader's: submitted, not yet given to the sink, in order. */
    private final ArrayDeque<Slot<I, R>> pending = new ArrayDeque<>();
    private long inFlight;
    private long peakInFlight;
    /** Set when a thread failed or was interrupted (under lock); then no item is worked on any more. */
    private Throwable broken;
    /** The slot the reader waits for (under lock), so that other completions do not wake it. */
    private Slot<I, R> awaited;
    private volatile boolean closing;

    /**
     * @param budget bytes in flight before {@link #submit} waits
     * @param onFull called on the reader's thread each time {@link #submit} is about to wait for room (a test seam)
     */
    ScanPipeline(int threads, long budget, Function<I, R> work, ToLongFunction<I> weight, Sink<I, R> sink,
                 String name, Runnable onFull) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads);
        }
        this.work = work;
        this.weight = weight;
        this.sink = sink;
        this.budget = budget;
        this.onFull = onFull;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::runWorker, name + "-" + (i + 1));
            // Daemon as well as stopped by close: a thread stuck in one huge scan cannot keep the JVM alive.
            t.setDaemon(true);
            this.threads.add(t);
        }
        this.threads.forEach(Thread::start);
    }

    /** Hands {@code item} to the threads; first gives the sink whatever is done, and waits while over budget. */
    void submit(I item) {
        if (Thread.currentThread().isInterrupted()) {
            throw new Stopped("interrupted", new InterruptedException());
        }
        long w = Math.max(0, weight.applyAsLong(item));
        emitDone();
        if (!pending.isEmpty() && inFlight + w > budget) {
            onFull.run();
            // Down to half the budget before reading on, not just enough for this item: the reader then wakes once
            // per many items, not once per item (a wake-up costs a system call and a context switch each way).
            while (!pending.isEmpty() && inFlight + w > budget / 2) {
                await(upTo(inFlight + w - budget / 2));
                emitDone();
            }
        }
        Slot<I, R> slot = new Slot<>(item, w);
        pending.add(slot);
        inFlight += w;
        peakInFlight = Math.max(peakInFlight, inFlight);
        queue.add(slot);
        lock.lock();
        try {
            if (broken != null) {
                failQueued(); // no thread may be left to take it
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for every item submitted and gives the sink the rest, in order. */
    void finish() {
        while (!pending.isEmpty()) {
            await(pending.peekLast());
            emitDone();
        }
    }

    long peakInFlight() {
        return peakInFlight;
    }

    /** Submitted items the sink has not had (yet): after a {@link Stopped}, the ones never worked on. */
    int pending() {
        return pending.size();
    }

    /** The first pending slot at which the weight from the head on reaches {@code bytes} (the last if none). */
    private Slot<I, R> upTo(long bytes) {
        long sum = 0;
        for (Slot<I, R> s : pending) {
            sum += s.weight;
            if (sum >= bytes) {
                return s;
            }
        }
        return pending.peekLast();
    }

    /**
     * Waits until {@code slot} and then the head are done (the threads take slots in order, so the ones before it
     * are then mostly done too), or only the head once a thread failed. Only the awaited slot's completion (or a
     * failure) wakes the reader, and it returns only when the head is done: the caller then makes progress.
     */
    private void await(Slot<I, R> slot) {
        lock.lock();
        try {
            while (true) {
                Slot<I, R> target = slot.done || broken != null ? pending.peek() : slot;
                if (target.done) {
                    return;
                }
                awaited = target;
                completed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped("interrupted", e);
        } finally {
            awaited = null;
            lock.unlock();
        }
    }

    /** Gives the sink every finished item at the head of the queue. */
    private void emitDone() {
        while (!pending.isEmpty()) {
            Slot<I, R> head = pending.peek();
            I item;
            R result;
            RuntimeException failure;
            lock.lock();
            try {
                if (!head.done) {
                    return;
                }
                if (head.fatal != null) {
                    throw new Stopped(head.fatal instanceof InterruptedException ? "a scanner thread was interrupted"
                            : "a scanner thread failed: " + head.fatal, head.fatal);
                }
                item = head.item;
                result = head.result;
                failure = head.failure;
            } finally {
                lock.unlock();
            }
            pending.remove();
            inFlight -= head.weight;
            if (failure != null) {
                sink.failed(item, failure);
            } else {
                sink.result(item, result);
            }
        }
    }

    private void runWorker() {
        try {
            while (!closing) {
                Slot<I, R> slot = queue.take();
                I item;
                lock.lock();
                try {
                    if (broken != null) {
                        complete(slot, null, null, broken);
                        continue;
                    }
                    item = slot.item;
                } finally {
                    lock.unlock();
                }
                R result = null;
                RuntimeException failure = null;
                Throwable fatal = null;
                try {
                    result = work.apply(item);
                } catch (RuntimeException e) {
                    failure = e;
                } catch (Throwable e) {
                    fatal = e;
                }
                lock.lock();
                try {
                    complete(slot, result, failure, fatal);
                    if (fatal != null) {
                        breakDown(fatal);
                        return;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            if (!closing) {
                lock.lock();
                try {
                    breakDown(e);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Under lock. */
    private void complete(Slot<I, R> slot, R result, RuntimeException failure, Throwable fatal) {
        slot.result = result;
        slot.failure = failure;
        slot.fatal = fatal;
        slot.done = true;
        if (slot == awaited || fatal != null) {
            completed.signal(); // only the reader waits on it
        }
    }

    /** Under lock: no item is worked on any more; the ones waiting fail, so the reader never waits for nothing. */
    private void breakDown(Throwable cause) {
        if (broken == null) {
            broken = cause;
        }
        failQueued();
        completed.signal();
    }

    /** Under lock. */
    private void failQueued() {
        List<Slot<I, R>> left = new ArrayList<>();
        queue.drainTo(left);
        for (Slot<I, R> s : left) {
            complete(s, null, null, broken);
        }
    }

    /** Stops the threads: those scanning finish their flow first (a scan does not stop half way). */
    @Override
    public void close() {
        closing = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join(TimeUnit.MINUTES.toMillis(1));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // closing still waits: no thread may outlive the command
                }
            }
        }
        for (Slot<I, R> s : pending) {
            s.item = null;
        }
        pending.clear();
        queue.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
