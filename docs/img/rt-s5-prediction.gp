set terminal pngcairo size 960,760 font ",10"
set output 'rt-s5-prediction.png'
set termoption noenhanced
set datafile missing 'NaN'
set key top right font ',9'
set grid
set xlabel 'time (s)'
set multiplot layout 2,2 title '5. Prediction (returning heavy tenant) (real time, loopback)'
set title 'Offload, history off (run 1): IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'heavy', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:10 with lines lw 1 dt 2 lt 1 title 'heavy rate', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'v1', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:11 with lines lw 1 dt 2 lt 2 title 'v1 rate', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'v2', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:12 with lines lw 1 dt 2 lt 3 title 'v2 rate', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 4 title 'v3', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:13 with lines lw 1 dt 2 lt 4 title 'v3 rate'
set title 'Offload, history on (run 1): IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'heavy', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:10 with lines lw 1 dt 2 lt 1 title 'heavy rate', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'v1', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:11 with lines lw 1 dt 2 lt 2 title 'v1 rate', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'v2', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:12 with lines lw 1 dt 2 lt 3 title 'v2 rate', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 4 title 'v3', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:13 with lines lw 1 dt 2 lt 4 title 'v3 rate'
set title 'Offload, history off (run 1): p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'heavy', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'v1', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:8 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'v2', 'rt-s5-prediction-offload--history-off--run-1-.dat' using 1:9 with linespoints pt 7 ps 0.4 lw 2 lt 4 title 'v3'
set title 'Offload, history on (run 1): p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'heavy', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'v1', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:8 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'v2', 'rt-s5-prediction-offload--history-on--run-1-.dat' using 1:9 with linespoints pt 7 ps 0.4 lw 2 lt 4 title 'v3'
unset multiplot
