import {listEditCommand} from '../../cli/list-commands.js';

export default listEditCommand('search', 'set');
