using NotebookStyle.Backend;
using NotebookStyle.Cli;

ProcessMemory.OptIn(); // the CLI is a host: malloc keeps tensor buffers in its heap, and runs trim it
return CliApp.Run(args, Console.Out, Console.Error);
