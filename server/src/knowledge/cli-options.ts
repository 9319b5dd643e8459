/**
 * Command-line option parsers that take an option's default as an argument after its flags and
 * description: commander (`program.option('-c, --channels <list>', 'Channels', process.env.X)`),
 * args (`args.option(['c', 'channels'], 'Channels', process.env.X)`). A variable given as that
 * default becomes the option's value, `undefined` when unset, as if the flag were left off; whether
 * the program then needs it is decided where the parsed options are used, not at the call.
 * commander's `requiredOption` fails at parse time without a value, so it is not one of these.
 *
 * Sources: commander `Command.option(flags, description?, defaultValue?)` (also with a parser
 * function before the default); args `option(name, description, defaultValue?, init?)`.
 */

/** Methods declaring an option whose default follows the flags and the description. */
export const OPTION_METHODS = new Set(['option']);

/** The first argument position an option's default may take (after the flags and description). */
export const OPTION_DEFAULT_FROM = 2;
