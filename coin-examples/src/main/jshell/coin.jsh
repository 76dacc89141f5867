// COIN in JShell: the public API on the import list and two helpers for the main job's data.
//
// Start it from the repository root after the main job has run (see README, "COIN in JShell"):
//   mvn -q -pl coin-examples -am compile dependency:build-classpath
//   jshell --class-path "coin-examples/target/classes:$(cat coin-examples/target/jshell.classpath)" \
//          --startup DEFAULT --startup coin-examples/src/main/jshell/coin.jsh
// Another work folder than ./coin-work: add -R-Dcoin.work=/path/to/work to the jshell command.

import java.nio.file.*;
import java.util.List;
import dev.coin.core.*;
import dev.coin.core.eval.*;
import dev.coin.data.image.*;
import dev.coin.data.slice.*;
import dev.coin.examples.StoryData;

/** The main job's work folder (it writes run/coin/model, data/ and run/report there). */
Path work = Path.of(System.getProperty("coin.work", "coin-work"));

/** The fixed synthetic-anomaly validation set the main job evaluated on. */
List<Slice> validationSlices() {
    return StoryData.validationSlices(work);
}

/** The i-th validation slice with an inserted anomaly (from 0); its truth is slice.mask("anomaly"). */
Slice abnormal(int i) {
    return StoryData.abnormalValidationSlice(work, i);
}
