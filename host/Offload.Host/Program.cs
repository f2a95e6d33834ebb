using Offload.Host;
using Offload.Host.Live;
using Offload.Host.Loop;
using Offload.Host.Mailbox;
using Offload.Host.Management;

// offloadd: the host companion of nic-fw. Composition root only; see README.md.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
OffloaddConfiguration.AddSources(builder.Configuration, builder.Environment.EnvironmentName, args);

builder.Services.AddOffloadd(builder.Configuration);
builder.Services.AddControlLoop(builder.Configuration);
builder.Services.AddHostMailbox(builder.Configuration);
builder.Services.AddOperatorViews(builder.Configuration);

return await OffloaddRunner.RunAsync(builder, static app => app.MapManagementApi());
