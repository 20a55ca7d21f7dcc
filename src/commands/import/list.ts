import {listShowCommand} from '../../cli/list-commands.js';

export default listShowCommand('import');
