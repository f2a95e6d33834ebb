global using Offload.Testing.Time;
