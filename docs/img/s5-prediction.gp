set terminal pngcairo size 1240,820 font ",10"
set output 's5-prediction.png'
set datafile missing '?'
set key top right font ',9'
set grid
set multiplot layout 2,2 title '5. Prediction (returning heavy tenant)'
set xlabel 'time (s)'
set title 'Offload, history off: throughput (solid) and policy rate (dashed)'
set ylabel 'cost units/s'
unset logscale y
set yrange [0:*]
plot 's5-prediction-offload-history-off.dat' using 1:2 with lines lw 2 lt 1 title 'heavy', 's5-prediction-offload-history-off.dat' using 1:3 with lines dt 2 lt 1 notitle, 's5-prediction-offload-history-off.dat' using 1:5 with lines lw 2 lt 2 title 'v1', 's5-prediction-offload-history-off.dat' using 1:6 with lines dt 2 lt 2 notitle, 's5-prediction-offload-history-off.dat' using 1:8 with lines lw 2 lt 3 title 'v2', 's5-prediction-offload-history-off.dat' using 1:9 with lines dt 2 lt 3 notitle, 's5-prediction-offload-history-off.dat' using 1:11 with lines lw 2 lt 4 title 'v3', 's5-prediction-offload-history-off.dat' using 1:12 with lines dt 2 lt 4 notitle
set xlabel 'time (s)'
set title 'Offload, history on: throughput (solid) and policy rate (dashed)'
set ylabel 'cost units/s'
unset logscale y
set yrange [0:*]
plot 's5-prediction-offload-history-on.dat' using 1:2 with lines lw 2 lt 1 title 'heavy', 's5-prediction-offload-history-on.dat' using 1:3 with lines dt 2 lt 1 notitle, 's5-prediction-offload-history-on.dat' using 1:5 with lines lw 2 lt 2 title 'v1', 's5-prediction-offload-history-on.dat' using 1:6 with lines dt 2 lt 2 notitle, 's5-prediction-offload-history-on.dat' using 1:8 with lines lw 2 lt 3 title 'v2', 's5-prediction-offload-history-on.dat' using 1:9 with lines dt 2 lt 3 notitle, 's5-prediction-offload-history-on.dat' using 1:11 with lines lw 2 lt 4 title 'v3', 's5-prediction-offload-history-on.dat' using 1:12 with lines dt 2 lt 4 notitle
set xlabel 'time (s)'
set title 'Offload, history off: p99 latency per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 's5-prediction-offload-history-off.dat' using 1:4 with linespoints pt 7 ps 0.5 lt 1 title 'heavy', 's5-prediction-offload-history-off.dat' using 1:7 with linespoints pt 7 ps 0.5 lt 2 title 'v1', 's5-prediction-offload-history-off.dat' using 1:10 with linespoints pt 7 ps 0.5 lt 3 title 'v2', 's5-prediction-offload-history-off.dat' using 1:13 with linespoints pt 7 ps 0.5 lt 4 title 'v3'
set xlabel 'time (s)'
set title 'Offload, history on: p99 latency per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 's5-prediction-offload-history-on.dat' using 1:4 with linespoints pt 7 ps 0.5 lt 1 title 'heavy', 's5-prediction-offload-history-on.dat' using 1:7 with linespoints pt 7 ps 0.5 lt 2 title 'v1', 's5-prediction-offload-history-on.dat' using 1:10 with linespoints pt 7 ps 0.5 lt 3 title 'v2', 's5-prediction-offload-history-on.dat' using 1:13 with linespoints pt 7 ps 0.5 lt 4 title 'v3'
unset multiplot
