set terminal pngcairo size 2400,760 font ",10"
set output 'rt-s3-weights.png'
set termoption noenhanced
set datafile missing 'NaN'
set key top right font ',9'
set grid
set xlabel 'time (s)'
set multiplot layout 2,5 title '3. Weights, reservation, limit (real time, loopback)'
set title 'FIFO: IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s3-weights-fifo.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'w1', 'rt-s3-weights-fifo.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'w2', 'rt-s3-weights-fifo.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'w4'
set title 'NVMe RR: IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s3-weights-nvme-rr.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'w1', 'rt-s3-weights-nvme-rr.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'w2', 'rt-s3-weights-nvme-rr.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'w4'
set title 'static limits: IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s3-weights-static-limits.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'w1', 'rt-s3-weights-static-limits.dat' using 1:8 with lines lw 1 dt 2 lt 1 title 'w1 rate', 'rt-s3-weights-static-limits.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'w2', 'rt-s3-weights-static-limits.dat' using 1:9 with lines lw 1 dt 2 lt 2 title 'w2 rate', 'rt-s3-weights-static-limits.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'w4', 'rt-s3-weights-static-limits.dat' using 1:10 with lines lw 1 dt 2 lt 3 title 'w4 rate'
set title 'Offload: IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s3-weights-offload.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'w1', 'rt-s3-weights-offload.dat' using 1:8 with lines lw 1 dt 2 lt 1 title 'w1 rate', 'rt-s3-weights-offload.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'w2', 'rt-s3-weights-offload.dat' using 1:9 with lines lw 1 dt 2 lt 2 title 'w2 rate', 'rt-s3-weights-offload.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'w4', 'rt-s3-weights-offload.dat' using 1:10 with lines lw 1 dt 2 lt 3 title 'w4 rate'
set title 'Offload SLA: IOPS per 100 ms'
set ylabel 'IOPS'
unset logscale y
set yrange [0:5500]
plot 'rt-s3-weights-offload-sla.dat' using 1:2 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'res', 'rt-s3-weights-offload-sla.dat' using 1:8 with lines lw 1 dt 2 lt 1 title 'res rate', 'rt-s3-weights-offload-sla.dat' using 1:3 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'lim', 'rt-s3-weights-offload-sla.dat' using 1:9 with lines lw 1 dt 2 lt 2 title 'lim rate', 'rt-s3-weights-offload-sla.dat' using 1:4 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'free', 'rt-s3-weights-offload-sla.dat' using 1:10 with lines lw 1 dt 2 lt 3 title 'free rate'
set title 'FIFO: p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s3-weights-fifo.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'w1', 'rt-s3-weights-fifo.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'w2', 'rt-s3-weights-fifo.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'w4'
set title 'NVMe RR: p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s3-weights-nvme-rr.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'w1', 'rt-s3-weights-nvme-rr.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'w2', 'rt-s3-weights-nvme-rr.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'w4'
set title 'static limits: p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s3-weights-static-limits.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'w1', 'rt-s3-weights-static-limits.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'w2', 'rt-s3-weights-static-limits.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'w4'
set title 'Offload: p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s3-weights-offload.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'w1', 'rt-s3-weights-offload.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'w2', 'rt-s3-weights-offload.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'w4'
set title 'Offload SLA: p99 per 100 ms'
set ylabel 'p99 (µs)'
set logscale y
set yrange [*:*]
plot 'rt-s3-weights-offload-sla.dat' using 1:5 with linespoints pt 7 ps 0.4 lw 2 lt 1 title 'res', 'rt-s3-weights-offload-sla.dat' using 1:6 with linespoints pt 7 ps 0.4 lw 2 lt 2 title 'lim', 'rt-s3-weights-offload-sla.dat' using 1:7 with linespoints pt 7 ps 0.4 lw 2 lt 3 title 'free'
unset multiplot
