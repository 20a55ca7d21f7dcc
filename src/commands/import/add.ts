import {listEditCommand} from '../../lib/list-commands.js';

export default listEditCommand('import', 'add');
