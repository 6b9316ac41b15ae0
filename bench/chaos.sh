#!/usr/bin/env bash
# Reliability figures (issue 9), the long form of what `mvn verify` runs at CI size:
#   1. scheduler chaos on a real API server, job controller and kube-scheduler (k8s-test/): a sweep of 5×BUDGETS runs
#      whose `isoflop sweep --backend kubernetes` is SIGKILLed or SIGTERMed LIVES times at random instants (start-up,
#      informer sync, mid-burst of creates), runs failing once or on every attempt, and a proxy between scheduler
#      and API server answering 429 and 500 (before and after passing the request on), slowing answers and cutting
#      watches (silently or with 410 Gone). Figures: Jobs per run, attempts vs the limit, lost runs, duplicates.
#   2. worker chaos: a real worker process SIGKILLed and SIGTERMed at random steps, resumed each time from its
#      checkpoint; then real runs as Kubernetes Jobs whose worker pods are interrupted the same way (a test kubelet
#      runs them as local processes). Figures: interruptions, resumes, metric rows, steps twice or missing.
#   3. storage faults: truncated, garbage and wrong-schema Parquet, an unreadable state.json, a full disk.
#   4. bad input: generated specs and `fit --table` tables: crashes, hangs, rejections that name no field.
# Prints every figure and exits 1 if any count that must be 0 is not.
#
#   bench/chaos.sh [BUDGETS=24] [LIVES=30] [SPECS=20000] [TABLES=2000]   (env: WORKER_KILLS=12, JOB_BUDGETS=4)
# About 25 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGETS=${1:-24}
LIVES=${2:-30}
SPECS=${3:-20000}
TABLES=${4:-2000}
WORKER_KILLS=${WORKER_KILLS:-12}
JOB_BUDGETS=${JOB_BUDGETS:-4}
status=0

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
bash k8s-test/build-binaries.sh >/dev/null
# the jars and test classes (SchedulerProcess and WorkerProcess start the packaged scheduler and worker)
mvn -o -q -DskipTests package >/dev/null 2>&1 || mvn -q -DskipTests package >/dev/null
# test classes and test-scope libraries (JUnit, which the harnesses share with the ITs), behind the packaged ones
mvn -o -q -pl contracts,worker,scheduler test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test.classpath >/dev/null
scheduler_cp="scheduler/target/test-classes:scheduler/target/classes:scheduler/target/lib/*:$(cat scheduler/target/test.classpath)"
worker_cp="worker/target/test-classes:worker/target/classes:worker/target/lib/*:$(cat worker/target/test.classpath)"

echo; echo "== 1. scheduler chaos: $((BUDGETS * 5)) runs, $LIVES interrupted scheduler lives"
java -Xmx2g -Disoflop.home=. -cp "$scheduler_cp" io.isoflop.scheduler.launch.k8s.SchedulerChaos "$BUDGETS" "$LIVES" \
  2>/tmp/isoflop-chaos-scheduler.log || status=1

echo; echo "== 2. worker chaos: a real worker process interrupted $WORKER_KILLS times at random instants"
java -Xmx1g -Disoflop.worker.target=worker/target -cp "$worker_cp" io.isoflop.worker.process.WorkerChaos \
  "$WORKER_KILLS" 2>/tmp/isoflop-chaos-worker.log || status=1

# A test class/method, run through Maven; prints "ok" or "FAILED" after the fault it stands for.
storage_case() { # label module test-selector (surefire Class#method, or failsafe "it:Class#method")
  local label=$1 module=$2 selector=$3 args
  if [[ $selector == it:* ]]; then
    args=(verify -Dtest=none "-Dit.test=${selector#it:}")
  else
    args=(test "-Dtest=$selector")
  fi
  if mvn -o -q -pl "contracts,worker,$module" "${args[@]}" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfailsafe.failIfNoSpecifiedTests=false >/tmp/isoflop-chaos-storage.log 2>&1; then
    printf '  %-78s ok\n' "$label"
  else
    printf '  %-78s FAILED (/tmp/isoflop-chaos-storage.log)\n' "$label"
    status=1
  fi
}

echo; echo "== 2b. worker chaos as Jobs: $((JOB_BUDGETS * 3)) real runs, their worker pods interrupted at random instants"
java -Xmx2g -Disoflop.home=. -cp "$scheduler_cp" io.isoflop.scheduler.launch.k8s.WorkerJobChaos "$JOB_BUDGETS" 0.6 \
  2>/tmp/isoflop-chaos-worker-jobs.log | grep -v "INFO io.kubernetes" || status=1

echo; echo "== 3. storage faults (each a test that fails without its handling)"
storage_case "final metrics cut short: not finished; set aside as *.unreadable, run retrained" scheduler \
  'SweepRunnerTest#aFinalFileThatCannotBeReadIsSetAsideAndItsRunTrainedAgain'
storage_case "metric files cut short, overwritten, of another schema: named, left out, fit goes on" fitter \
  'it:FitterJobIT#fitsTheLatestAttemptOfEveryFinishedRunAndWritesTheReport'
storage_case "another schema: the missing or retyped column named with what was expected" fitter 'MetricFilesTest'
storage_case "unreadable state.json: set aside, rebuilt from the metrics and the worker's lock" scheduler 'SweepStoreTest'
storage_case "full device (/dev/full): old file intact, no temporary left, the file named" contracts 'AtomicFilesTest'
storage_case "full disk mid-sweep (tmpfs): nothing corrupt; the same command completes later" scheduler \
  'it:SweepRestartIT#aFullDiskCorruptsNothingAndTheSweepCompletesOnceThereIsSpace'

echo; echo "== 4. bad input: $SPECS generated specs, $TABLES generated tables"
mvn -o -q -pl contracts,worker,scheduler test -Dtest=GeneratedBadSpecsTest -Disoflop.specCount="$SPECS" \
  -Dsurefire.failIfNoSpecifiedTests=false >/tmp/isoflop-chaos-specs.log 2>&1 || status=1
grep -E "^GeneratedBadSpecsTest|crashed|took over|names no field" /tmp/isoflop-chaos-specs.log | head -5
mvn -o -q -pl contracts,fitter verify -Dtest=none -Dit.test=GeneratedBadTablesIT -Disoflop.tableCount="$TABLES" \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false >/tmp/isoflop-chaos-tables.log 2>&1 \
  || status=1
grep -E "^GeneratedBadTablesIT|crashed|took over|without naming|unusable" /tmp/isoflop-chaos-tables.log | head -5

echo; [ $status -eq 0 ] && echo "chaos: every count that must be 0 is 0" || echo "chaos: FAILED (see above)"
exit $status
