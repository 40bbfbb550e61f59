#!/usr/bin/env bash
# Run Arbor's libFuzzer targets (build/fuzz/fuzz_<target>, built by make) and report.
#
#   tools/fuzz.sh [--background] --seconds S TARGET...   fuzz each target S seconds, side by side
#   tools/fuzz.sh --smoke --seconds S TARGET...          make test's short run: replay
#                                                        tests/fuzz/regressions, then S seconds each
#   tools/fuzz.sh --report TARGET...                     what the last long run reached
#
# A long run gives each target its own corpus (build/fuzz/corpus-<target>), log
# (build/fuzz/<target>.log) and crash files (build/fuzz/<target>-crash-*); the targets run at
# the same time, so on a 2-core machine they share the cores. At the end each corpus is cut
# down to the inputs that add coverage (-merge), so the next smoke run fuzzes rather than
# replays. With --background the run detaches (its own log: build/fuzz/run.log) and this
# returns at once; --report then reads the logs, during the run or after it:
#
#   fuzz: probe 12345678 executions in 3600 s (3429/s), coverage 1021 edges, 3712 features,
#         corpus 812 inputs, no crash
#
# Exit status: 1 when a target crashed (a long run) or a reproducer failed again (smoke).
set -euo pipefail
cd "$(dirname "$0")/.."

B=${FUZZ_B:-build/fuzz}	# the Makefile passes its FUZZ_B
mode=run seconds=60 background=0
targets=()
while [ $# -gt 0 ]; do
	case "$1" in
	--background) background=1 ;;
	--smoke) mode=smoke ;;
	--report) mode=report ;;
	--seconds) seconds=$2; shift ;;
	-*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
	*) targets+=("$1") ;;
	esac
	shift
done
[ ${#targets[@]} -gt 0 ] || { echo "fuzz.sh: no target named" >&2; exit 2; }
if [ $mode != report ]; then
	for t in "${targets[@]}"; do
		[ -x "$B/fuzz_$t" ] || { echo "fuzz.sh: $B/fuzz_$t not built (make fuzz-smoke builds it)" >&2; exit 2; }
	done
fi

# libFuzzer's options for one target: its dictionary, inputs up to 128 KiB, 10 s per input.
options() {
	echo "-dict=tests/fuzz/probe.dict -max_len=131072 -timeout=10 -print_final_stats=1" \
		"-artifact_prefix=$B/$1-"
}

# One line per target from its log: executions, rate, coverage, corpus, crashes.
report() {
	local t=$1 log=$B/$1.log status=0
	if [ ! -f "$log" ]; then
		echo "fuzz: $t  no log ($log): not run yet"
		return 0
	fi
	local execs secs cov ft corpus crashes
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	# While it runs: the last status line, "#12345 REDUCE cov: 959 ft: 3691 corp: 552/..."
	local last
	last=$(grep -a -E '^#[0-9]+' "$log" | tail -n 1 || true)
	[ -n "$execs" ] || execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corpus=$(ls "$B/corpus-$t" 2>/dev/null | wc -l)
	crashes=$(ls "$B/$t"-crash-* "$B/$t"-leak-* "$B/$t"-timeout-* 2>/dev/null | wc -l)
	local state="so far (running)"
	[ -n "$secs" ] && state="in $secs s ($(( ${execs:-0} / (secs > 0 ? secs : 1) ))/s)"
	local found="no crash"
	if [ "$crashes" != 0 ]; then
		found="$crashes crash file(s): $(ls "$B/$t"-crash-* "$B/$t"-leak-* "$B/$t"-timeout-* 2>/dev/null | tr '\n' ' ')"
		status=1
	fi
	printf 'fuzz: %-5s %s executions %s, coverage %s edges, %s features, corpus %s inputs, %s\n' \
		"$t" "${execs:-0}" "$state" "${cov:--}" "${ft:--}" "$corpus" "$found"
	return $status
}

case $mode in
report)
	status=0
	for t in "${targets[@]}"; do report "$t" || status=1; done
	exit $status ;;
smoke)
	regs=$(find tests/fuzz/regressions -type f ! -name '*.md' 2>/dev/null | sort)
	for t in "${targets[@]}"; do
		if [ -n "$regs" ]; then
			echo "  FUZZ    $t: replay $(echo $regs | wc -w) reproducer(s)"
			# shellcheck disable=SC2086
			$B/fuzz_$t $regs > $B/$t-replay.log 2>&1 ||
				{ tail -n 60 $B/$t-replay.log
				  echo "fuzz-smoke: a saved reproducer fails again in fuzz_$t"; exit 1; }
		fi
		# shellcheck disable=SC2046
		$B/fuzz_$t $(options "$t") -max_total_time="$seconds" $B/corpus-$t > $B/$t-smoke.log 2>&1 ||
			{ tail -n 80 $B/$t-smoke.log
			  echo "fuzz-smoke: fuzz_$t found a crash, reproducer in $B/$t-crash-*"; exit 1; }
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' $B/$t-smoke.log)
		echo "  FUZZ    $t: no crash in $n inputs ($seconds s)"
	done
	exit 0 ;;
esac

run() {
	local pids=() t status=0
	for t in "${targets[@]}"; do
		rm -f "$B/$t.log"
		# shellcheck disable=SC2046
		$B/fuzz_$t $(options "$t") -max_total_time="$seconds" $B/corpus-$t > "$B/$t.log" 2>&1 &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do wait "${pids[$i]}" || true; done
	for t in "${targets[@]}"; do
		rm -rf "$B/corpus-$t.min" && mkdir -p "$B/corpus-$t.min"
		# shellcheck disable=SC2046
		$B/fuzz_$t $(options "$t") -merge=1 "$B/corpus-$t.min" "$B/corpus-$t" > "$B/$t-merge.log" 2>&1 &&
			rm -rf "$B/corpus-$t" && mv "$B/corpus-$t.min" "$B/corpus-$t"
	done
	for t in "${targets[@]}"; do report "$t" || status=1; done
	return $status
}

if [ $background = 1 ]; then
	mkdir -p $B
	echo "fuzz: ${targets[*]} for $seconds s each, in the background (log $B/run.log);" \
		"make fuzz-report shows how far they are"
	# Its own session: closing the terminal does not stop it.
	setsid "$0" --seconds "$seconds" "${targets[@]}" < /dev/null > $B/run.log 2>&1 &
	exit 0
fi
run
