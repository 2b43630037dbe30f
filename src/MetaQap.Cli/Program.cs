using MetaQap.Cli;

return await MetaQapCommandLine.Create().Parse(args).InvokeAsync();
