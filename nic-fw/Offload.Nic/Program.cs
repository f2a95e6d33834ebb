using Microsoft.Extensions.Hosting;
using Offload.Nic;
using Offload.Nic.Datapath;
using Offload.Nic.Mailbox;
using Offload.Nic.Metrics;
using Offload.Nic.Nvme;
using Offload.Nic.Telemetry;

// nic-fw: the smart-NIC firmware process. Composition root only; see README.md.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

builder.Services.AddNicFirmware(builder.Configuration);
builder.Services.AddNicMailbox(builder.Configuration);
builder.Services.AddNicDatapath(builder.Configuration);
builder.Services.AddNicNvmeTarget(builder.Configuration);
builder.Services.AddNicTelemetry(builder.Configuration);
builder.Services.AddNicMetrics(builder.Configuration);

return await NicRunner.RunAsync(builder);
