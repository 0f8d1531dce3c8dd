package org.jqmp.block.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.file.FileProtocol;
import org.jqmp.block.raw.RawFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blkdebug filter over a real 1 MiB file, with a raw format driver on top as QEMU stacks them
 * ({@code -drive file=blkdebug::img}): rules arm on events, select by kind and sector, fail with their errno.
 */
class BlkdebugFilterTest {
    @TempDir
    Path dir;
    Path image;
    BlockNode top;

    @BeforeEach
    void image() throws Exception {
        image = dir.resolve("img.raw");
        byte[] content = new byte[1 << 20];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i / 512);
        }
        Files.write(image, content);
    }

    @AfterEach
    void close() {
        if (top != null) {
            top.close();
        }
    }

    private BlkdebugFilter filter(List<InjectErrorRule> rules, List<SetStateRule> states) {
        BlkdebugFilter filter = new BlkdebugFilter(FileProtocol.open(image, image.toString(), false, true, false),
                rules, states, null);
        BlockNode view = BlkdebugFilter.underFormat(filter, filter);
        top = new RawFormat(view);
        BlkdebugFilter.formatOpened(view);
        return filter;
    }

    private static InjectedIoError failure(Runnable request) {
        try {
            request.run();
        } catch (InjectedIoError e) {
            return e;
        }
        throw new AssertionError("the request did not fail");
    }

    @Test
    void aReadAioRuleFailsReadsWithEioOnceTheFormatFiredTheEvent() {
        BlkdebugFilter filter = filter(List.of(InjectErrorRule.on(DebugEvent.READ_AIO)), List.of());
        assertThat(filter.read(0, 512)).as("no event fired yet: nothing armed").containsOnly(0);
        InjectedIoError e = failure(() -> top.read(4096, 512));
        assertThat(e).isInstanceOf(BlockException.class).hasMessage("Input/output error");
        assertThat(e.errno()).isEqualTo(5);
        assertThat(e.ioType()).isEqualTo(DebugIoType.READ);
        assertThat(e.isNoSpace()).isFalse();
        assertThat(e.offset()).isEqualTo(4096);
        // write_aio has no rules: the read_aio rule stays armed and, without iotype, selects writes too
        assertThat(failure(() -> top.write(0, new byte[512], 0, 512)).ioType()).isEqualTo(DebugIoType.WRITE);
    }

    @Test
    void aFormatsOpenTimeReadsFireNoEvents() {
        BlkdebugFilter filter = new BlkdebugFilter(FileProtocol.open(image, image.toString(), false, true, false),
                List.of(InjectErrorRule.on(DebugEvent.READ_AIO)), List.of(), null);
        BlockNode view = BlkdebugFilter.underFormat(filter, filter);
        top = view;
        assertThat(view.read(0, 512)).as("the format is still opening").containsOnly(0);
        BlkdebugFilter.formatOpened(view);
        assertThat(failure(() -> view.read(0, 512)).errno()).isEqualTo(5);
    }

    @Test
    void iotypeLimitsTheRuleToOneKindOfRequest() {
        filter(List.of(InjectErrorRule.on(DebugEvent.READ_AIO).withIoType(DebugIoType.READ)), List.of());
        assertThat(failure(() -> top.read(0, 512)).errno()).isEqualTo(5);
        byte[] data = new byte[512];
        java.util.Arrays.fill(data, (byte) 0x5a);
        top.write(512, data, 0, 512);
        top.flush();
        assertThatThrownBy(() -> top.read(512, 512)).isInstanceOf(InjectedIoError.class);
        top.close();
        top = null;
        try (BlockNode plain = FileProtocol.open(image, image.toString(), true, true, false)) {
            assertThat(plain.read(512, 512)).as("the write went through").isEqualTo(data);
        }
    }

    @Test
    void aOnceRuleFailsOneRequestThenIsGone() {
        BlkdebugFilter filter = filter(List.of(InjectErrorRule.on(DebugEvent.READ_AIO).withOnce(true)), List.of());
        assertThat(failure(() -> top.read(0, 512)).errno()).isEqualTo(5);
        assertThat(filter.armedRules()).isEmpty();
        assertThat(top.read(1024, 512)).containsOnly(2);
        filter.fire(DebugEvent.READ_AIO);
        assertThat(top.read(1024, 512)).as("the rule does not come back on the next event").containsOnly(2);
    }

    @Test
    void aSectorRuleFailsOnlyRequestsThatCoverTheSectorsFirstByte() {
        filter(List.of(InjectErrorRule.on(DebugEvent.READ_AIO).withSector(8)), List.of());
        assertThat(top.read(0, 4096)).hasSize(4096);
        assertThat(top.read(4097, 100)).hasSize(100);
        assertThat(failure(() -> top.read(4096, 512)).offset()).isEqualTo(4096);
        assertThatThrownBy(() -> top.read(0, 8192)).isInstanceOf(InjectedIoError.class);
        assertThatCode(top::flush).as("a flush has no range: only rules for any sector select it")
                .doesNotThrowAnyException();
    }

    @Test
    void aFlushToDiskRuleWithEnospcFailsFlushesOnly() {
        filter(List.of(InjectErrorRule.on(DebugEvent.FLUSH_TO_DISK).withErrno(28)
                .withIoType(DebugIoType.FLUSH)), List.of());
        top.write(0, new byte[512], 0, 512);
        InjectedIoError e = failure(top::flush);
        assertThat(e).hasMessage("No space left on device");
        assertThat(e.isNoSpace()).isTrue();
        assertThat(e.ioType()).isEqualTo(DebugIoType.FLUSH);
        assertThat(top.read(0, 512)).containsOnly(0);
    }

    @Test
    void theFirstRuleThatSelectsDecidesAndErrnoZeroLetsThroughTheRequest() {
        filter(List.of(InjectErrorRule.on(DebugEvent.READ_AIO).withSector(0).withErrno(0),
                InjectErrorRule.on(DebugEvent.READ_AIO).withErrno(13)), List.of());
        assertThat(top.read(0, 512)).containsOnly(0);
        assertThat(failure(() -> top.read(512, 512))).hasMessage("Permission denied");
    }

    @Test
    void anEventWithRulesReplacesTheArmedOnes() {
        BlkdebugFilter filter = filter(List.of(InjectErrorRule.on(DebugEvent.READ_AIO).withErrno(5),
                InjectErrorRule.on(DebugEvent.WRITE_AIO).withErrno(28).withSector(1000)), List.of());
        assertThat(failure(() -> top.read(0, 512)).errno()).isEqualTo(5);
        top.write(0, new byte[512], 0, 512); // arms the write_aio rule, which does not select sector 0
        assertThat(filter.armedRules()).extracting(InjectErrorRule::errno).containsExactly(28);
        assertThat(filter.read(0, 512)).as("without a new read_aio event the read rule is not armed").hasSize(512);
        assertThat(failure(() -> top.read(0, 512)).errno()).as("the next read_aio arms it again").isEqualTo(5);
    }

    @Test
    void setStateRulesGateInjectRulesByState() {
        BlkdebugFilter filter = filter(List.of(InjectErrorRule.on(DebugEvent.READ_AIO).withState(2)),
                List.of(new SetStateRule(DebugEvent.WRITE_AIO, 1, 2), new SetStateRule(DebugEvent.WRITE_AIO, 0, 3)));
        assertThat(top.read(0, 512)).hasSize(512);
        top.write(0, new byte[512], 0, 512);
        assertThat(filter.state()).as("the first matching set-state rule wins").isEqualTo(2);
        assertThat(failure(() -> top.read(0, 512)).errno()).isEqualTo(5);
    }

    @Test
    void writesToTheFilterItselfFirePwritevAndPwritevDone() {
        BlkdebugFilter filter = filter(List.of(InjectErrorRule.on(DebugEvent.PWRITEV).withErrno(30)), List.of());
        InjectedIoError e = failure(() -> filter.write(0, new byte[512], 0, 512));
        assertThat(e).hasMessage("Read-only file system");
        assertThatThrownBy(() -> filter.read(0, 512)).as("pwritev_done has no rules: the rule stays armed")
                .isInstanceOf(InjectedIoError.class);
        assertThatCode(() -> filter.status(0, 512)).as("block-status is not a default iotype")
                .doesNotThrowAnyException();
    }

    @Test
    void unknownErrnoReadsAsGlibcWordsIt() {
        assertThat(Errno.text(5)).isEqualTo("Input/output error");
        assertThat(Errno.text(4242)).isEqualTo("Unknown error 4242");
        assertThat(DebugEvent.of("flush_to_disk")).isEqualTo(DebugEvent.FLUSH_TO_DISK);
        assertThat(DebugIoType.of("write-zeroes")).isEqualTo(DebugIoType.WRITE_ZEROES);
        assertThatThrownBy(() -> DebugEvent.of("bogus")).hasMessageContaining("bogus");
    }

    @Test
    void concurrentReadersSeeExactlyOneFailureOfAOnceRuleAndEverySectorHit() throws Exception {
        BlkdebugFilter filter = filter(List.of(InjectErrorRule.on(DebugEvent.READ_AIO).withOnce(true).withSector(5),
                InjectErrorRule.on(DebugEvent.READ_AIO).withSector(9).withErrno(28)), List.of());
        int threads = 16;
        int perThread = 200;
        AtomicInteger onceHits = new AtomicInteger();
        AtomicInteger sectorHits = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long sector = i % 16;
                        try {
                            byte[] got = top.read(sector * 512, 512);
                            assertThat(got).containsOnly((byte) sector);
                        } catch (InjectedIoError e) {
                            (e.errno() == 5 ? onceHits : sectorHits).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        int readsOfSector9 = (int) java.util.stream.IntStream.range(0, perThread).filter(i -> i % 16 == 9).count();
        assertThat(onceHits.get()).isEqualTo(1);
        assertThat(sectorHits.get()).isEqualTo(threads * readsOfSector9);
        assertThat(filter.armedRules()).singleElement().extracting(InjectErrorRule::errno).isEqualTo(28);
    }
}
